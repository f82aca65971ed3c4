import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    readonly property var r: kiosk.lookupResult

    ColumnLayout {
        anchors.fill: parent
        spacing: kiosk.theme.gap * 1.5
        ScreenTitle { Layout.fillWidth: true; text: kiosk.t.lookup_title }
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: col.implicitHeight + 60
            radius: kiosk.theme.radius
            color: kiosk.theme.panel
            border.color: kiosk.theme.border
            Column {
                id: col
                x: 30; y: 30
                width: parent.width - 60
                spacing: 18
                KText { objectName: "lookupNumber"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: r.number; font.pixelSize: kiosk.theme.huge; font.bold: true; color: kiosk.theme.accent }
                KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; text: r.serviceName; font.pixelSize: kiosk.theme.title }
                KText { objectName: "lookupStatus"; width: parent.width; text: kiosk.t.status + "：" + r.statusText; font.pixelSize: kiosk.theme.title; font.bold: true }
                KText { width: parent.width; visible: r.status === "waiting"; text: kiosk.t.ahead + " " + r.waitingAhead + " " + kiosk.t.people + " · " + kiosk.t.eta + " " + r.eta }
                KText { width: parent.width; visible: (r.window || "") !== ""; text: kiosk.t.window + "：" + r.window; font.pixelSize: kiosk.theme.title }
                KText { width: parent.width; text: kiosk.t.issued_at + " " + r.issuedAt; color: kiosk.theme.muted }
            }
        }
        Item { Layout.fillHeight: true }
        NavRow { Layout.fillWidth: true }
    }
}
