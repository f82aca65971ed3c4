// Typing the ID number: digits and X on an own keypad; the check digit is validated in Python.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: kiosk.theme.gap

        ScreenTitle { Layout.fillWidth: true; text: kiosk.t.keypad_title }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: kiosk.theme.touch * 1.2
            radius: kiosk.theme.radius
            color: kiosk.theme.panel
            border.color: kiosk.keypadError !== "" ? kiosk.theme.bad : kiosk.theme.accent
            border.width: 4
            KText {
                objectName: "keypadDisplay"
                anchors.centerIn: parent
                // Grouped 6-8-4 like the printed card, so the citizen can compare at a glance.
                text: {
                    var s = kiosk.keypadText
                    return s.slice(0, 6) + (s.length > 6 ? " " + s.slice(6, 14) : "") + (s.length > 14 ? " " + s.slice(14) : "")
                }
                font.pixelSize: kiosk.theme.big
                font.letterSpacing: 4
                wrapMode: Text.NoWrap
            }
            KText {
                anchors { right: parent.right; verticalCenter: parent.verticalCenter; rightMargin: 20 }
                text: kiosk.keypadText.length + "/18"
                color: kiosk.theme.muted
                font.pixelSize: kiosk.theme.small
            }
        }
        KText {
            objectName: "keypadError"
            Layout.fillWidth: true
            text: kiosk.keypadError
            visible: text !== ""
            color: kiosk.theme.bad
            font.bold: true
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Keypad {
                anchors.centerIn: parent
                keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "del"]
                onKeyPressed: (key) => kiosk.keypadPress(key)
            }
        }

        BigButton {
            objectName: "keypadOk"
            Layout.fillWidth: true
            Layout.preferredHeight: kiosk.theme.touch * 1.3
            primary: true
            text: kiosk.t.ok
            enabled: kiosk.keypadText.length === 18
            onClicked: kiosk.keypadConfirm()
        }
        NavRow { Layout.fillWidth: true }
    }
}
