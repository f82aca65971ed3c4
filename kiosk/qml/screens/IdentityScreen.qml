// Identity: place the card (read by the reader's poller), or type the number, or skip if allowed.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: kiosk.theme.gap * 1.5

        ScreenTitle { Layout.fillWidth: true; text: kiosk.guide.name + " · " + kiosk.t.identity_title }

        Rectangle {
            objectName: "cardPrompt"
            Layout.fillWidth: true
            Layout.fillHeight: true
            radius: kiosk.theme.radius
            color: kiosk.theme.panel
            border.color: kiosk.theme.accent
            border.width: 4
            Column {
                anchors.centerIn: parent
                width: parent.width - 80
                spacing: 30
                Rectangle {  // a card shape that gently moves, to show where the card goes
                    id: card
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: 340; height: 214; radius: 18
                    color: "#DCE8F5"
                    border.color: kiosk.theme.accent; border.width: 4
                    KText { anchors.centerIn: parent; text: "ID"; font.pixelSize: 90; color: kiosk.theme.accent; font.bold: true }
                    SequentialAnimation on y {
                        loops: Animation.Infinite
                        NumberAnimation { from: 0; to: 30; duration: 900; easing.type: Easing.InOutQuad }
                        NumberAnimation { from: 30; to: 0; duration: 900; easing.type: Easing.InOutQuad }
                    }
                }
                KText {
                    objectName: "placeCardText"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    font.pixelSize: kiosk.theme.big
                    font.bold: true
                    text: kiosk.readerState === "ok" ? kiosk.t.place_card
                          : (kiosk.readerState === "absent" ? kiosk.t.reader_absent : kiosk.t.reader_error)
                }
                KText {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    visible: kiosk.idRequired
                    text: kiosk.t.id_required_note
                    color: kiosk.theme.muted
                }
                KText {
                    objectName: "identityError"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    visible: kiosk.keypadError !== ""
                    text: kiosk.keypadError
                    color: kiosk.theme.bad
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: kiosk.theme.gap
            BigButton {
                objectName: "useKeypadButton"
                Layout.fillWidth: true
                Layout.preferredHeight: kiosk.theme.touch * 1.3
                text: kiosk.t.type_id
                onClicked: kiosk.useKeypad()
            }
            BigButton {
                objectName: "skipIdentityButton"
                visible: !kiosk.idRequired
                Layout.fillWidth: true
                Layout.preferredHeight: kiosk.theme.touch * 1.3
                text: kiosk.t.skip_identity
                onClicked: kiosk.skipIdentity()
            }
        }
        NavRow { Layout.fillWidth: true }
    }
}
