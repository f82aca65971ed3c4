// Maintenance PIN: digits only, shown as dots; five wrong tries lock the pad.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap
        ScreenTitle { Layout.fillWidth: true; text: ui.t.pin_title }
        KText { objectName: "pinDots"; Layout.alignment: Qt.AlignHCenter; text: maint.pinDots || " "; font.pixelSize: ui.theme.big }
        KText { objectName: "pinMessage"; Layout.fillWidth: true; text: maint.pinMessage; color: ui.theme.bad; font.bold: true; visible: text !== "" }
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Keypad {
                anchors.centerIn: parent
                namePrefix: "pinKey_"
                enabled: !maint.locked
                keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "del"]
                onKeyPressed: (key) => maint.pinPress(key)
            }
        }
        BigButton {
            objectName: "pinOk"
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.2
            primary: true
            enabled: !maint.locked
            text: ui.t.ok
            onClicked: maint.pinSubmit()
        }
        BigButton {
            objectName: "pinCancel"
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch
            text: ui.t.back
            onClicked: maint.leave()
        }
    }
}
