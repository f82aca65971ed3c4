// An own on-screen keypad: no system keyboard or virtual keyboard module needed.
// `clearRow`: a wide "清空 / Clear" key under the grid (start the number again in one touch).
import QtQuick

Column {
    id: pad
    property var keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "del"]
    property var labels: ({"del": ui.t["delete"], "clear": ui.t.clear})
    property string namePrefix: "key_"
    property int keyWidth: ui.theme.touch * 2
    property int keyHeight: ui.theme.touch * 1.1
    property bool clearRow: false
    signal keyPressed(string key)
    spacing: 18

    Grid {
        columns: 3
        spacing: 18
        Repeater {
            model: pad.keys
            BigButton {
                objectName: pad.namePrefix + modelData
                width: pad.keyWidth
                height: pad.keyHeight
                text: pad.labels[modelData] !== undefined ? pad.labels[modelData] : modelData
                fontSize: modelData.length === 1 ? ui.theme.big : ui.theme.font
                onClicked: pad.keyPressed(modelData)
            }
        }
    }
    BigButton {
        objectName: pad.namePrefix + "clear"
        visible: pad.clearRow
        width: pad.keyWidth * 3 + 36
        height: ui.theme.touch
        text: ui.t.clear
        onClicked: pad.keyPressed("clear")
    }
}
