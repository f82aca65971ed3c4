// All text on the kiosk: the CJK font, the theme's colour and size, wrapping instead of clipping.
import QtQuick

Text {
    font.family: fontFamily
    font.pixelSize: kiosk.theme.font
    color: kiosk.theme.fg
    wrapMode: Text.Wrap
}
