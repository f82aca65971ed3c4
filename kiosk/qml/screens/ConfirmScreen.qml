// Confirm: what will be issued, for whom (masked); one big button.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap * 1.5

        ScreenTitle { Layout.fillWidth: true; text: ui.t.confirm_title }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: info.implicitHeight + 60
            radius: ui.theme.radius
            color: ui.theme.panel
            border.color: ui.theme.border
            Column {
                id: info
                x: 30; y: 30
                width: parent.width - 60
                spacing: 20
                KText { width: parent.width; text: ui.t.service + "：" + catalogue.guide.name; font.pixelSize: ui.theme.title }
                KText { width: parent.width; text: ui.t.location + "：" + (catalogue.guide.zoneName || "") + " " + (catalogue.guide.location || "") }
                KText {
                    objectName: "confirmIdentity"
                    width: parent.width
                    text: ui.t.identity + "："
                          + (identity.identity.source === "none" ? ui.t.no_identity
                             : ((identity.identity.name ? identity.identity.name + "  " : "") + identity.identity.idNumber))
                    font.pixelSize: ui.theme.title
                }
            }
        }
        Item { Layout.fillHeight: true }
        BigButton {
            objectName: "confirmButton"
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.8
            primary: true
            fontSize: ui.theme.big
            text: ui.t.confirm
            enabled: health.issuingEnabled
            onClicked: kiosk.confirm()
        }
        NavRow { Layout.fillWidth: true }
    }
}
