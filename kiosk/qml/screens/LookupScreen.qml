// Look up a ticket: scan its QR code, or type the number (prefix letters of this hall + digits).
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: kiosk.theme.gap

        ScreenTitle { Layout.fillWidth: true; text: kiosk.t.lookup_title }
        KText { objectName: "lookupScanHint"; Layout.fillWidth: true; text: kiosk.t.lookup_scan; font.pixelSize: kiosk.theme.title }
        KText { Layout.fillWidth: true; text: kiosk.t.lookup_type; color: kiosk.theme.muted }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: kiosk.theme.touch * 1.2
            radius: kiosk.theme.radius
            color: kiosk.theme.panel
            border.color: kiosk.theme.accent
            border.width: 4
            KText {
                objectName: "lookupDisplay"
                anchors.centerIn: parent
                text: kiosk.lookupText
                font.pixelSize: kiosk.theme.big
                font.letterSpacing: 6
            }
        }
        KText {
            objectName: "lookupMessage"
            Layout.fillWidth: true
            visible: kiosk.message !== ""
            text: kiosk.message
            color: kiosk.theme.bad
            font.bold: true
        }

        Flow {
            Layout.fillWidth: true
            spacing: 14
            Repeater {
                model: kiosk.lookupPrefixes
                BigButton {
                    objectName: "prefix_" + modelData
                    width: kiosk.theme.touch * 1.2
                    height: kiosk.theme.touch
                    text: modelData
                    fontSize: kiosk.theme.big
                    onClicked: kiosk.lookupPress(modelData)
                }
            }
        }
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Keypad {
                anchors.centerIn: parent
                namePrefix: "lookupKey_"
                keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "del"]
                keyHeight: kiosk.theme.touch
                onKeyPressed: (key) => kiosk.lookupPress(key)
            }
        }
        BigButton {
            objectName: "lookupSubmit"
            Layout.fillWidth: true
            Layout.preferredHeight: kiosk.theme.touch * 1.2
            primary: true
            text: kiosk.t.lookup_search
            enabled: kiosk.lookupText.length > 0
            onClicked: kiosk.lookupSubmit()
        }
        NavRow { Layout.fillWidth: true; showBack: false }
    }
}
