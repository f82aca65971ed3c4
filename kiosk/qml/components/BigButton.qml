// A touch target of at least 2 cm (theme.touch px) that reacts on press, for fingers, not mice.
// `checked` (a toggle that is on) keeps a button's shape: a thick frame and a tick, never a flat block.
import QtQuick

Rectangle {
    id: button
    property string text: ""
    property string subText: ""
    property bool primary: false
    property bool checked: false
    // Short Chinese names (zones): one line, shrunk to fit, never one character stranded on a second
    // line. English wraps between words instead (never inside one).
    property bool oneLine: false
    readonly property bool fitLine: oneLine && ui.lang !== "en"
    property int fontSize: ui.theme.font
    signal clicked()

    implicitWidth: Math.max(ui.theme.touch * 2, label.implicitWidth + 60)
    implicitHeight: Math.max(ui.theme.touch, column.implicitHeight + 36)
    radius: ui.theme.radius
    color: !enabled ? ui.theme.disabled
                    : (mouse.pressed ? Qt.darker(base, 1.25) : base)
    readonly property color base: primary ? ui.theme.accent : ui.theme.panel
    border.color: checked ? ui.theme.fg : (primary ? ui.theme.accent : ui.theme.border)
    border.width: checked ? 7 : 3
    readonly property int frameWidth: border.width

    Column {
        id: column
        anchors.centerIn: parent
        width: parent.width - 24
        spacing: 6
        KText {
            id: label
            width: parent.width
            text: (button.checked ? "✓ " : "") + button.text
            font.pixelSize: button.fontSize
            font.bold: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: button.fitLine ? Text.NoWrap : (button.oneLine ? Text.WordWrap : Text.Wrap)
            fontSizeMode: button.fitLine ? Text.HorizontalFit : Text.FixedSize
            minimumPixelSize: ui.theme.small
            color: button.primary && button.enabled ? ui.theme.accentFg : ui.theme.fg
        }
        KText {
            width: parent.width
            visible: button.subText !== ""
            text: button.subText
            font.pixelSize: ui.theme.small
            horizontalAlignment: Text.AlignHCenter
            color: button.primary && button.enabled ? ui.theme.accentFg : ui.theme.muted
        }
    }

    MouseArea {
        id: mouse
        anchors.fill: parent
        enabled: button.enabled
        onClicked: button.clicked()
    }
}
