// Home: the hall's zones with live waiting counts and open/closed, plus common items and look-up.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap

        // After hours: the plain truth first (closed, opens when), then what can still be done.
        Rectangle {
            objectName: "hallNoticePanel"
            visible: catalogue.hallNotice !== ""
            Layout.fillWidth: true
            Layout.preferredHeight: visible ? notice.implicitHeight + 40 : 0
            radius: ui.theme.radius
            color: ui.theme.note
            border.color: ui.theme.fg
            border.width: 3
            Column {
                id: notice
                x: 24; y: 20
                width: parent.width - 48
                spacing: 10
                KText {
                    objectName: "hallNotice"
                    width: parent.width
                    text: catalogue.hallNotice
                    color: ui.theme.noteFg
                    font.pixelSize: ui.theme.title
                    font.bold: true
                }
                KText {
                    objectName: "afterHoursOffer"
                    width: parent.width
                    text: ui.t.after_hours_offer
                    color: ui.theme.noteFg
                }
            }
        }

        ScreenTitle {
            objectName: "homePrompt"
            Layout.fillWidth: true
            text: ui.t.home_prompt
        }

        GridView {
            id: grid
            objectName: "zoneGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            // Landscape has room for four across: the example hall's eight zones in two rows, none
            // below the fold (a grid that scrolls shows no sign of it).
            readonly property int columns: root.landscape ? 4 : 2
            readonly property int rows: Math.max(1, Math.ceil(count / columns))
            cellWidth: width / columns
            // Tall enough for a two-line name and two lines of status, also in large text; in landscape
            // no taller than the rows need to fit.
            readonly property real roomy: Math.max(ui.theme.touch * 2.2, ui.theme.title * 2.6 + ui.theme.small * 2.8 + 40)
            cellHeight: root.landscape ? Math.max(ui.theme.touch + 20, Math.min(roomy, Math.floor(height / rows))) : roomy
            model: catalogue.zones
            delegate: Item {
                width: grid.cellWidth
                height: grid.cellHeight
                BigButton {
                    objectName: "zone_" + modelData.key
                    anchors.fill: parent
                    anchors.margins: 10
                    text: modelData.name
                    oneLine: true
                    // Waiting counts only while open and the server answers: at night "0 waiting" is noise, and
                    // with the server down the last count is stale (the banner says why).
                    subText: modelData.status + (modelData.open && !modelData.selfService && health.serverOnline
                             ? " · " + ui.t.waiting + " " + modelData.waiting + " " + ui.t.people : "")
                             + (modelData.location ? "\n" + modelData.location : "")
                    // English names are three times as long: a size smaller keeps them to two lines.
                    fontSize: ui.lang === "en" ? ui.theme.font : ui.theme.title
                    onClicked: kiosk.openZone(modelData.key)
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: ui.theme.gap
            BigButton {
                objectName: "commonButton"
                visible: catalogue.hasCommon
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: ui.theme.touch * 1.6
                primary: true
                text: ui.t.common_items
                subText: ui.t.common_items_hint
                onClicked: kiosk.openCommon()
            }
            BigButton {
                objectName: "lookupButton"
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: ui.theme.touch * 1.6
                text: ui.t.lookup
                subText: ui.t.lookup_hint
                onClicked: kiosk.openLookup()
            }
            // 预约签到: only where the hall takes bookings (a booking's QR code also works on any screen).
            // In the same row: the zones keep their room, also after hours under the notice.
            BigButton {
                objectName: "checkinButton"
                visible: catalogue.takesBookings
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: ui.theme.touch * 1.6
                text: ui.t.checkin
                subText: ui.t.checkin_hint
                onClicked: kiosk.openCheckin()
            }
        }
        KText {
            objectName: "complaintPhone"
            Layout.fillWidth: true
            visible: catalogue.complaintPhone !== ""
            horizontalAlignment: Text.AlignHCenter
            text: ui.t.complaint_phone + " " + catalogue.complaintPhone
            color: ui.theme.muted
        }
    }
}
