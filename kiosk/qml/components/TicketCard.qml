// A ticket on screen (issued or checked in): number, marks, place, QR code (the e-ticket) and the
// hall's missed-call rule. `tk` is a ticket view of kiosk/present.py with the screen's extra fields.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: card
    property var tk: ({})
    property int qrSize: 420
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
            KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: ui.t.your_number + " · " + card.tk.serviceName; color: ui.theme.muted }
            KText {
                objectName: "ticketNumber"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: card.tk.number || ""
                font.pixelSize: ui.theme.huge
                font.bold: true
                color: ui.theme.accent
            }
            Mark { objectName: "priorityMark"; shown: card.tk.priority === true; text: ui.t.priority_mark }
            Mark { objectName: "appointmentMark"; shown: (card.tk.slot || "") !== ""; text: card.tk.slot || "" }
            KText { objectName: "ticketAhead"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: ui.t.ahead + " " + card.tk.waitingAhead + " " + ui.t.people; font.pixelSize: ui.theme.title }
            KText { objectName: "ticketEta"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: ui.t.eta + " " + card.tk.eta; font.pixelSize: ui.theme.title }
            KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; visible: (card.tk.waitArea || "") !== ""; text: ui.t.wait_area + "：" + card.tk.waitArea }
            KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: ui.t.issued_at + " " + card.tk.issuedAt; color: ui.theme.muted }
        }
        Column {
            Layout.fillWidth: true
            spacing: 10
            Image {
                objectName: "ticketQr"
                readonly property bool loaded: status === Image.Ready
                anchors.horizontalCenter: parent.horizontalCenter
                width: card.qrSize; height: card.qrSize
                sourceSize.width: card.qrSize; sourceSize.height: card.qrSize
                source: card.tk.qr || ""
                smooth: false
                cache: false
            }
            KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: ui.t.scan_status }
            KText {
                objectName: "missedRule"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                visible: text !== ""
                text: card.tk.missedRule || ""
                font.bold: true
            }
        }
    }

    // A coloured mark under the number (优先, 预约 10:30-11:00).
    component Mark: Rectangle {
        property bool shown: false
        property alias text: label.text
        visible: shown
        anchors.horizontalCenter: parent.horizontalCenter
        width: label.implicitWidth + 40
        height: visible ? label.implicitHeight + 16 : 0
        radius: 12
        color: ui.theme.ok
        KText {
            id: label
            anchors.centerIn: parent
            color: ui.theme.accentFg
            font.pixelSize: ui.theme.title
            font.bold: true
            wrapMode: Text.NoWrap
        }
    }
}
