// Look up a ticket: scan its QR code, or type the number (prefix letters of this hall + digits).
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap

        ScreenTitle { Layout.fillWidth: true; text: ui.t.lookup_title }
        KText { objectName: "lookupScanHint"; Layout.fillWidth: true; text: ui.t.lookup_scan; font.pixelSize: ui.theme.title }
        KText { Layout.fillWidth: true; text: ui.t.lookup_type; color: ui.theme.muted }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.2
            radius: ui.theme.radius
            color: ui.theme.panel
            border.color: ui.theme.accent
            border.width: 4
            KText {
                objectName: "lookupDisplay"
                anchors.centerIn: parent
                text: lookup.lookupText
                font.pixelSize: ui.theme.big
                font.letterSpacing: 6
            }
        }
        KText {
            objectName: "lookupMessage"
            Layout.fillWidth: true
            visible: lookup.message !== ""
            text: lookup.message
            color: ui.theme.bad
            font.bold: true
        }

        Flow {
            Layout.fillWidth: true
            spacing: 14
            Repeater {
                model: catalogue.lookupPrefixes
                BigButton {
                    objectName: "prefix_" + modelData
                    width: ui.theme.touch * 1.2
                    height: ui.theme.touch
                    text: modelData
                    fontSize: ui.theme.big
                    onClicked: lookup.lookupPress(modelData)
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
                keyHeight: ui.theme.touch
                onKeyPressed: (key) => lookup.lookupPress(key)
            }
        }
        BigButton {
            objectName: "lookupSubmit"
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.2
            primary: true
            text: ui.t.lookup_search
            enabled: lookup.lookupText.length > 0
            onClicked: lookup.lookupSubmit()
        }
        NavRow { Layout.fillWidth: true; showBack: false }
    }
}
