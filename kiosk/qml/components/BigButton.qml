// A touch target of at least 2 cm (theme.touch px) that reacts on press, for fingers, not mice.
import QtQuick

Rectangle {
    id: button
    property string text: ""
    property string subText: ""
    property bool primary: false
    property int fontSize: kiosk.theme.font
    signal clicked()

    implicitWidth: Math.max(kiosk.theme.touch * 2, label.implicitWidth + 60)
    implicitHeight: Math.max(kiosk.theme.touch, column.implicitHeight + 36)
    radius: kiosk.theme.radius
    color: !enabled ? kiosk.theme.disabled
                    : (mouse.pressed ? Qt.darker(base, 1.25) : base)
    readonly property color base: primary ? kiosk.theme.accent : kiosk.theme.panel
    border.color: primary ? kiosk.theme.accent : kiosk.theme.border
    border.width: 3

    Column {
        id: column
        anchors.centerIn: parent
        width: parent.width - 40
        spacing: 6
        KText {
            id: label
            width: parent.width
            text: button.text
            font.pixelSize: button.fontSize
            font.bold: true
            horizontalAlignment: Text.AlignHCenter
            color: button.primary && button.enabled ? kiosk.theme.accentFg : kiosk.theme.fg
        }
        KText {
            width: parent.width
            visible: button.subText !== ""
            text: button.subText
            font.pixelSize: kiosk.theme.small
            horizontalAlignment: Text.AlignHCenter
            color: button.primary && button.enabled ? kiosk.theme.accentFg : kiosk.theme.muted
        }
    }

    MouseArea {
        id: mouse
        anchors.fill: parent
        enabled: button.enabled
        onClicked: button.clicked()
    }
}
