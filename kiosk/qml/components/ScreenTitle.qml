import QtQuick

KText {
    width: parent ? parent.width : implicitWidth
    font.pixelSize: ui.theme.title
    font.bold: true
}
