// Waiting for the server's answer to a check-in (the ticket is printed before the next screen).
import QtQuick
import "../components"

Item {
    KText {
        objectName: "checkingInText"
        anchors.centerIn: parent
        width: parent.width
        horizontalAlignment: Text.AlignHCenter
        text: ui.t.checking_in
        font.pixelSize: ui.theme.big
        font.bold: true
    }
}
