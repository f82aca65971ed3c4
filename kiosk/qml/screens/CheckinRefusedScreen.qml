// No check-in: too early (when to come back, and the slip), no booking today, cancelled, or the
// network failed (retry: the server never gives two tickets for one booking). Plain words only.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    id: screen
    readonly property var r: checkin.refusal

    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap * 1.5

        TakeCardPanel { visible: screen.r.takeCard === true }
        Item { Layout.fillHeight: true }
        KText {
            objectName: "checkinRefusalTitle"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: screen.r.title || ""
            font.pixelSize: ui.theme.big
            font.bold: true
            color: ui.theme.bad
        }
        KText {
            objectName: "checkinComeBack"
            Layout.fillWidth: true
            visible: text !== ""
            horizontalAlignment: Text.AlignHCenter
            text: screen.r.comeBack || ""
            font.pixelSize: ui.theme.big
            font.bold: true
            color: ui.theme.accent
        }
        KText {
            objectName: "checkinRefusalDetail"
            Layout.fillWidth: true
            visible: text !== ""
            horizontalAlignment: Text.AlignHCenter
            text: screen.r.detail || ""
            font.pixelSize: ui.theme.title
        }
        KText {
            objectName: "checkinRefusalNext"
            Layout.fillWidth: true
            visible: text !== ""
            horizontalAlignment: Text.AlignHCenter
            text: screen.r.next || ""
            font.pixelSize: ui.theme.title
        }
        Item { Layout.fillHeight: true }
        SlipButton { Layout.fillWidth: true }
        BigButton {
            objectName: "retryButton"
            visible: screen.r.retry === true
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.3
            primary: true
            text: ui.t.retry
            onClicked: kiosk.retryCheckin()
        }
        NavRow { Layout.fillWidth: true }
    }
}
