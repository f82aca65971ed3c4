// Identity: place the card (read by the reader's poller), or type the number, or skip if allowed.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap * 1.5

        ScreenTitle { Layout.fillWidth: true; text: catalogue.guide.name + " · " + ui.t.identity_title }

        Rectangle {
            objectName: "cardPrompt"
            Layout.fillWidth: true
            Layout.fillHeight: true
            radius: ui.theme.radius
            color: ui.theme.panel
            border.color: ui.theme.accent
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
                    border.color: ui.theme.accent; border.width: 4
                    KText { anchors.centerIn: parent; text: "ID"; font.pixelSize: 90; color: ui.theme.accent; font.bold: true }
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
                    font.pixelSize: ui.theme.big
                    font.bold: true
                    text: identity.readerState === "ok" ? ui.t.place_card
                          : (identity.readerState === "absent" ? ui.t.reader_absent : ui.t.reader_error)
                }
                KText {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    visible: identity.idRequired
                    text: ui.t.id_required_note
                    color: ui.theme.muted
                }
                KText {
                    objectName: "identityError"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    visible: identity.keypadError !== ""
                    text: identity.keypadError
                    color: ui.theme.bad
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: ui.theme.gap
            BigButton {
                objectName: "useKeypadButton"
                Layout.fillWidth: true
                Layout.preferredHeight: ui.theme.touch * 1.3
                text: ui.t.type_id
                onClicked: kiosk.useKeypad()
            }
            BigButton {
                objectName: "skipIdentityButton"
                visible: !identity.idRequired
                Layout.fillWidth: true
                Layout.preferredHeight: ui.theme.touch * 1.3
                text: ui.t.skip_identity
                onClicked: kiosk.skipIdentity()
            }
        }
        NavRow { Layout.fillWidth: true }
    }
}
