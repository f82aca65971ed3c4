// A small on-screen keyboard for the technician's settings (addresses, ports, tokens): no USB keyboard.
import QtQuick
import QtQuick.Layouts

ColumnLayout {
    id: kb
    property bool shifted: false
    signal keyPressed(string key)
    spacing: 8
    readonly property var rows: [
        "1234567890",
        "qwertyuiop",
        "asdfghjkl:",
        "zxcvbnm/._",
        "-?=&@%~+"
    ]
    Repeater {
        model: kb.rows
        RowLayout {
            spacing: 8
            Layout.fillWidth: true
            Repeater {
                model: modelData.split("")
                BigButton {
                    objectName: "kb_" + modelData
                    Layout.fillWidth: true
                    Layout.preferredHeight: ui.theme.touch
                    implicitWidth: 80
                    text: kb.shifted ? modelData.toUpperCase() : modelData
                    fontSize: 32
                    onClicked: kb.keyPressed(kb.shifted ? modelData.toUpperCase() : modelData)
                }
            }
        }
    }
    RowLayout {
        spacing: 8
        Layout.fillWidth: true
        BigButton { objectName: "kb_shift"; Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch; text: "⇧ Aa"; primary: kb.shifted; fontSize: 30; onClicked: kb.shifted = !kb.shifted }
        BigButton { objectName: "kb_del"; Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch; text: ui.t["delete"]; fontSize: 30; onClicked: kb.keyPressed("del") }
        BigButton { objectName: "kb_clear"; Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch; text: ui.t.clear; fontSize: 30; onClicked: kb.keyPressed("clear") }
    }
}
