// All text on the kiosk: the CJK font, the theme's colour and size, wrapping instead of clipping.
// Plain text always: names and messages come from the server and must never be read as markup.
import QtQuick

Text {
    font.family: fontFamily
    font.pixelSize: ui.theme.font
    color: ui.theme.fg
    wrapMode: Text.Wrap
    textFormat: Text.PlainText
    readonly property bool plainText: textFormat === Text.PlainText  // for the tests (enum not readable)
}
