// Checked in: on time (an appointment ticket, 预约 with the slot) or late (an ordinary ticket, and why).
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    id: screen
    readonly property var tk: checkin.ticket

    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap

        TakeCardPanel { visible: screen.tk.takeCard === true }

        // The server's own words: on time (ordered by the slot), or late and why (an ordinary ticket).
        KText {
            objectName: "checkinOutcome"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: screen.tk.message || ""
            color: screen.tk.onTime ? ui.theme.ok : ui.theme.fg
            font.pixelSize: ui.theme.title
            font.bold: true
        }
        KText {
            objectName: "printState"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: screen.tk.printed ? ui.t.ticket_printed : ui.t.ticket_print_failed
            color: screen.tk.printed ? ui.theme.ok : ui.theme.bad
            font.bold: true
        }

        TicketCard {
            Layout.fillWidth: true
            Layout.fillHeight: true
            tk: screen.tk
            qrSize: 320
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: ui.theme.gap
            SlipButton { Layout.fillWidth: true; Layout.preferredWidth: 1 }
            BigButton {
                objectName: "doneButton"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: ui.theme.touch * 1.3
                Layout.alignment: Qt.AlignTop
                primary: true
                text: ui.t.done
                onClicked: kiosk.goHome()
            }
        }
    }
}
