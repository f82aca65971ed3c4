// First and loudest when a card was read: elderly citizens leave it on the reader.
import QtQuick
import QtQuick.Layouts

Rectangle {
    objectName: "takeCardPanel"
    Layout.fillWidth: true
    Layout.preferredHeight: visible ? takeCard.implicitHeight + 50 : 0
    radius: ui.theme.radius
    color: ui.theme.note
    border.color: ui.theme.bad
    border.width: 6
    KText {
        id: takeCard
        objectName: "takeCardText"
        anchors.centerIn: parent
        width: parent.width - 40
        horizontalAlignment: Text.AlignHCenter
        text: "请取回您的身份证\nPlease take your ID card"
        color: ui.theme.noteFg
        font.pixelSize: ui.theme.big
        font.bold: true
    }
}
