// The ticket on screen: it survives a printer failure (the QR code is the e-ticket).
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    id: screen
    readonly property var tk: issuing.ticket

    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap

        TakeCardPanel { visible: tk.takeCard === true }

        KText {
            objectName: "printState"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: tk.printed ? ui.t.ticket_printed : ui.t.ticket_print_failed
            color: tk.printed ? ui.theme.ok : ui.theme.bad
            font.pixelSize: ui.theme.title
            font.bold: true
        }

        TicketCard {
            Layout.fillWidth: true
            Layout.fillHeight: true
            tk: screen.tk
        }

        BigButton {
            objectName: "doneButton"
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.3
            primary: true
            text: ui.t.done
            onClicked: kiosk.goHome()
        }
    }
}
