// An own on-screen keypad: no system keyboard or virtual keyboard module needed.
import QtQuick

Grid {
    id: pad
    property var keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "del"]
    property var labels: ({"del": kiosk.t["delete"], "clear": kiosk.t.clear})
    property string namePrefix: "key_"
    property int keyWidth: kiosk.theme.touch * 2
    property int keyHeight: kiosk.theme.touch * 1.1
    signal keyPressed(string key)
    columns: 3
    spacing: 18

    Repeater {
        model: pad.keys
        BigButton {
            objectName: pad.namePrefix + modelData
            width: pad.keyWidth
            height: pad.keyHeight
            text: pad.labels[modelData] !== undefined ? pad.labels[modelData] : modelData
            fontSize: modelData.length === 1 ? kiosk.theme.big : kiosk.theme.font
            onClicked: pad.keyPressed(modelData)
        }
    }
}
