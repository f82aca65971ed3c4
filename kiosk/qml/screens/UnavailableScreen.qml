// No ticket now (closed, nobody at the window, self-service, this kiosk cannot print): why, when,
// and what the citizen can do instead — print the materials list, look up a ticket, call.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    readonly property var r: issuing.refusal

    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap * 1.5

        ScreenTitle { Layout.fillWidth: true; text: catalogue.guide.name || "" }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: body.implicitHeight + 60
            radius: ui.theme.radius
            color: ui.theme.note
            border.color: ui.theme.fg
            border.width: 3
            Column {
                id: body
                x: 30; y: 30
                width: parent.width - 60
                spacing: 24
                KText {
                    objectName: "unavailableTitle"
                    width: parent.width
                    text: r.title || ""
                    color: ui.theme.noteFg
                    font.pixelSize: ui.theme.big
                    font.bold: true
                }
                KText {
                    objectName: "unavailableDetail"
                    width: parent.width
                    visible: text !== ""
                    text: r.detail || ""
                    color: ui.theme.noteFg
                    font.pixelSize: ui.theme.title
                }
                KText {
                    objectName: "unavailableNext"
                    width: parent.width
                    text: r.next || ""
                    color: ui.theme.noteFg
                }
            }
        }
        KText {
            objectName: "guideMessage"
            Layout.fillWidth: true
            visible: issuing.noticeMessage !== ""
            text: issuing.noticeMessage
            color: ui.theme.warn
            font.bold: true
        }
        KText {
            objectName: "unavailablePhone"
            Layout.fillWidth: true
            visible: catalogue.complaintPhone !== ""
            text: ui.t.complaint_phone + " " + catalogue.complaintPhone
            color: ui.theme.muted
        }
        Item { Layout.fillHeight: true }
        BigButton {
            objectName: "printNoticeButton"
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.3
            primary: true
            text: ui.t.print_materials
            subText: ui.t.print_materials_hint
            enabled: health.printerStatus.paper !== "out"
            onClicked: issuing.printNotice()
        }
        BigButton {
            objectName: "lookupButton"
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.2
            text: ui.t.lookup
            subText: ui.t.lookup_hint
            onClicked: kiosk.openLookup()
        }
        NavRow { Layout.fillWidth: true }
    }
}
