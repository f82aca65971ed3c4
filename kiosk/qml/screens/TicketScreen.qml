// The ticket on screen: it survives a printer failure (the QR code is the e-ticket).
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    readonly property var tk: kiosk.ticket

    ColumnLayout {
        anchors.fill: parent
        spacing: kiosk.theme.gap

        KText {
            objectName: "printState"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: tk.printed ? kiosk.t.ticket_printed : kiosk.t.ticket_print_failed
            color: tk.printed ? kiosk.theme.ok : kiosk.theme.bad
            font.pixelSize: kiosk.theme.title
            font.bold: true
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            radius: kiosk.theme.radius
            color: kiosk.theme.panel
            border.color: kiosk.theme.border
            GridLayout {
                anchors.fill: parent
                anchors.margins: 30
                columns: root.landscape ? 2 : 1
                Column {
                    Layout.fillWidth: true
                    spacing: 12
                    KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.t.your_number + " · " + tk.serviceName; color: kiosk.theme.muted }
                    KText {
                        objectName: "ticketNumber"
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        text: tk.number
                        font.pixelSize: kiosk.theme.huge
                        font.bold: true
                        color: kiosk.theme.accent
                    }
                    KText { objectName: "ticketAhead"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.t.ahead + " " + tk.waitingAhead + " " + kiosk.t.people; font.pixelSize: kiosk.theme.title }
                    KText { objectName: "ticketEta"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.t.eta + " " + tk.eta; font.pixelSize: kiosk.theme.title }
                    KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; visible: (tk.waitArea || "") !== ""; text: kiosk.t.wait_area + "：" + tk.waitArea }
                    KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.t.issued_at + " " + tk.issuedAt; color: kiosk.theme.muted }
                }
                Column {
                    Layout.fillWidth: true
                    spacing: 10
                    Image {
                        objectName: "ticketQr"
                        readonly property bool loaded: status === Image.Ready
                        anchors.horizontalCenter: parent.horizontalCenter
                        width: 420; height: 420
                        sourceSize.width: 420; sourceSize.height: 420
                        source: tk.qr || ""
                        smooth: false
                        cache: false
                    }
                    KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.t.scan_status }
                }
            }
        }

        BigButton {
            objectName: "doneButton"
            Layout.fillWidth: true
            Layout.preferredHeight: kiosk.theme.touch * 1.3
            primary: true
            text: kiosk.t.done
            onClicked: kiosk.goHome()
        }
    }
}
