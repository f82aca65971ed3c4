// Typing the ID number: digits and X on an own keypad; the check digit is validated in Python.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap

        ScreenTitle { Layout.fillWidth: true; text: ui.t.keypad_title }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.2
            radius: ui.theme.radius
            color: ui.theme.panel
            border.color: identity.keypadError !== "" ? ui.theme.bad : ui.theme.accent
            border.width: 4
            KText {
                objectName: "keypadDisplay"
                anchors.centerIn: parent
                // Grouped 6-8-4 like the printed card, so the citizen can compare at a glance.
                text: {
                    var s = identity.keypadText
                    return s.slice(0, 6) + (s.length > 6 ? " " + s.slice(6, 14) : "") + (s.length > 14 ? " " + s.slice(14) : "")
                }
                font.pixelSize: ui.theme.big
                font.letterSpacing: 4
                wrapMode: Text.NoWrap
            }
            KText {
                anchors { right: parent.right; verticalCenter: parent.verticalCenter; rightMargin: 20 }
                text: identity.keypadText.length + "/18"
                color: ui.theme.muted
                font.pixelSize: ui.theme.small
            }
        }
        KText {
            objectName: "keypadError"
            Layout.fillWidth: true
            text: identity.keypadError
            visible: text !== ""
            color: ui.theme.bad
            font.bold: true
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Keypad {
                anchors.centerIn: parent
                keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "del"]
                keyHeight: ui.theme.touch
                clearRow: true
                onKeyPressed: (key) => identity.keypadPress(key)
            }
        }

        BigButton {
            objectName: "keypadOk"
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.3
            primary: true
            text: ui.t.ok
            enabled: identity.keypadText.length === 18
            onClicked: kiosk.keypadConfirm()
        }
        NavRow { Layout.fillWidth: true }
    }
}
