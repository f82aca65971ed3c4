import QtQuick

KText {
    width: parent ? parent.width : implicitWidth
    font.pixelSize: kiosk.theme.title
    font.bold: true
}
