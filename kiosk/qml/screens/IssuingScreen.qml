import QtQuick
import "../components"

Item {
    KText {
        objectName: "issuingText"
        anchors.centerIn: parent
        text: ui.t.issuing
        font.pixelSize: ui.theme.big
        font.bold: true
    }
    Rectangle {
        anchors { horizontalCenter: parent.horizontalCenter; top: parent.verticalCenter; topMargin: 120 }
        width: 80; height: 80; radius: 40
        color: "transparent"
        border.color: ui.theme.accent; border.width: 10
        Rectangle { width: 24; height: 24; radius: 12; color: ui.theme.accent; x: 28; y: -6 }
        RotationAnimation on rotation { from: 0; to: 360; duration: 1000; loops: Animation.Infinite }
    }
}
