import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    readonly property var r: lookup.lookupResult

    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap * 1.5
        ScreenTitle { Layout.fillWidth: true; text: ui.t.lookup_title }
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: col.implicitHeight + 60
            radius: ui.theme.radius
            color: ui.theme.panel
            border.color: ui.theme.border
            Column {
                id: col
                x: 30; y: 30
                width: parent.width - 60
                spacing: 18
                KText { objectName: "lookupNumber"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: r.number; font.pixelSize: ui.theme.huge; font.bold: true; color: ui.theme.accent }
                KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: r.serviceName; font.pixelSize: ui.theme.title }
                KText { objectName: "lookupStatus"; width: parent.width; text: ui.t.status + "：" + r.statusText; font.pixelSize: ui.theme.title; font.bold: true }
                KText { width: parent.width; visible: r.status === "waiting"; text: ui.t.ahead + " " + r.waitingAhead + " " + ui.t.people + " · " + ui.t.eta + " " + r.eta }
                KText { width: parent.width; visible: (r.window || "") !== ""; text: ui.t.window + "：" + r.window; font.pixelSize: ui.theme.title }
                KText { width: parent.width; text: ui.t.issued_at + " " + r.issuedAt; color: ui.theme.muted }
                // 过号: the hall's rule, and until when this ticket may rejoin (the server decides).
                KText { objectName: "lookupMissedRule"; width: parent.width; visible: text !== ""; text: lookup.missedRule; font.bold: true }
                KText { objectName: "rejoinUntil"; width: parent.width; visible: text !== ""; text: lookup.rejoinUntil; color: ui.theme.accent; font.pixelSize: ui.theme.title }
            }
        }
        KText {
            objectName: "lookupMessage"
            Layout.fillWidth: true
            visible: lookup.message !== ""
            horizontalAlignment: Text.AlignHCenter
            text: lookup.message
            font.pixelSize: ui.theme.title
            font.bold: true
        }
        BigButton {
            objectName: "rejoinButton"
            visible: lookup.canRejoin
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.3
            primary: true
            text: ui.t.rejoin
            onClicked: lookup.rejoin()
        }
        // 好差评: a finished ticket whose QR code was scanned (the token is the holder's credential).
        KText { visible: lookup.canRate; Layout.fillWidth: true; text: ui.t.rate_title; font.bold: true }
        GridLayout {
            visible: lookup.canRate
            Layout.fillWidth: true
            columns: 5
            columnSpacing: 12
            Repeater {
                model: [5, 4, 3, 2, 1]
                BigButton {
                    objectName: "rate_" + modelData
                    Layout.fillWidth: true
                    Layout.preferredHeight: ui.theme.touch * 1.2
                    implicitWidth: ui.theme.touch
                    text: ui.t["rate_" + modelData]
                    fontSize: ui.theme.small
                    onClicked: lookup.rate(modelData)
                }
            }
        }
        Item { Layout.fillHeight: true }
        NavRow { Layout.fillWidth: true }
    }
}
