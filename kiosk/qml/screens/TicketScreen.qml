// The ticket on screen: it survives a printer failure (the QR code is the e-ticket).
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    readonly property var tk: issuing.ticket

    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap

        // First and loudest when a card was read: elderly citizens leave it on the reader.
        Rectangle {
            objectName: "takeCardPanel"
            visible: tk.takeCard === true
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

        KText {
            objectName: "printState"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: tk.printed ? ui.t.ticket_printed : ui.t.ticket_print_failed
            color: tk.printed ? ui.theme.ok : ui.theme.bad
            font.pixelSize: ui.theme.title
            font.bold: true
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            radius: ui.theme.radius
            color: ui.theme.panel
            border.color: ui.theme.border
            GridLayout {
                anchors.fill: parent
                anchors.margins: 30
                columns: root.landscape ? 2 : 1
                Column {
                    Layout.fillWidth: true
                    spacing: 12
                    KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: ui.t.your_number + " · " + tk.serviceName; color: ui.theme.muted }
                    KText {
                        objectName: "ticketNumber"
                        width: parent.width
                        horizontalAlignment: Text.AlignHCenter
                        text: tk.number
                        font.pixelSize: ui.theme.huge
                        font.bold: true
                        color: ui.theme.accent
                    }
                    Rectangle {
                        objectName: "priorityMark"
                        visible: tk.priority === true
                        anchors.horizontalCenter: parent.horizontalCenter
                        width: prio.implicitWidth + 40
                        height: visible ? prio.implicitHeight + 16 : 0
                        radius: 12
                        color: ui.theme.ok
                        KText {
                            id: prio
                            anchors.centerIn: parent
                            text: ui.t.priority_mark
                            color: ui.theme.accentFg
                            font.pixelSize: ui.theme.title
                            font.bold: true
                            wrapMode: Text.NoWrap
                        }
                    }
                    KText { objectName: "ticketAhead"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: ui.t.ahead + " " + tk.waitingAhead + " " + ui.t.people; font.pixelSize: ui.theme.title }
                    KText { objectName: "ticketEta"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: ui.t.eta + " " + tk.eta; font.pixelSize: ui.theme.title }
                    KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; visible: (tk.waitArea || "") !== ""; text: ui.t.wait_area + "：" + tk.waitArea }
                    KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: ui.t.issued_at + " " + tk.issuedAt; color: ui.theme.muted }
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
                    KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: ui.t.scan_status }
                }
            }
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
