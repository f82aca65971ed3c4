// Confirm: what will be issued, for whom (masked); one big button.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: kiosk.theme.gap * 1.5

        ScreenTitle { Layout.fillWidth: true; text: kiosk.t.confirm_title }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: info.implicitHeight + 60
            radius: kiosk.theme.radius
            color: kiosk.theme.panel
            border.color: kiosk.theme.border
            Column {
                id: info
                x: 30; y: 30
                width: parent.width - 60
                spacing: 20
                KText { width: parent.width; text: kiosk.t.service + "：" + kiosk.guide.name; font.pixelSize: kiosk.theme.title }
                KText { width: parent.width; text: kiosk.t.location + "：" + (kiosk.guide.zoneName || "") + " " + (kiosk.guide.location || "") }
                KText {
                    objectName: "confirmIdentity"
                    width: parent.width
                    text: kiosk.t.identity + "："
                          + (kiosk.identity.source === "none" ? kiosk.t.no_identity
                             : ((kiosk.identity.name ? kiosk.identity.name + "  " : "") + kiosk.identity.idNumber))
                    font.pixelSize: kiosk.theme.title
                }
            }
        }
        Item { Layout.fillHeight: true }
        BigButton {
            objectName: "confirmButton"
            Layout.fillWidth: true
            Layout.preferredHeight: kiosk.theme.touch * 1.8
            primary: true
            fontSize: kiosk.theme.big
            text: kiosk.t.confirm
            enabled: kiosk.issuingEnabled
            onClicked: kiosk.confirm()
        }
        NavRow { Layout.fillWidth: true }
    }
}
