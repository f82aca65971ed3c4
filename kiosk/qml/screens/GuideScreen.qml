// The service guide: conditions, materials (required / optional / later), limits, fee, where to go.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import "../components"

Item {
    readonly property var g: catalogue.guide

    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap

        ScreenTitle {
            objectName: "guideTitle"
            Layout.fillWidth: true
            text: (g.name || "") + " · " + ui.t.service_guide
        }
        KText {
            objectName: "guideCacheNote"
            Layout.fillWidth: true
            visible: catalogue.guideFromCache
            text: ui.t.from_cache
            color: ui.theme.warn
        }

        Flickable {
            id: flick
            objectName: "guideFlick"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentHeight: body.implicitHeight
            flickableDirection: Flickable.VerticalFlick
            // Always visible: it tells a first-time user that the guide goes on below.
            ScrollBar.vertical: ScrollBar { policy: ScrollBar.AlwaysOn; width: 18 }

            Column {
                id: body
                width: flick.width - 30
                spacing: 14

                Rectangle {
                    width: parent.width
                    height: facts.implicitHeight + 30
                    color: ui.theme.panel
                    border.color: ui.theme.border
                    radius: ui.theme.radius
                    Column {
                        id: facts
                        x: 20; y: 15
                        width: parent.width - 40
                        spacing: 6
                        KText { width: parent.width; text: ui.t.location + "：" + (g.zoneName || "") + " " + (g.location || "") }
                        KText { width: parent.width; visible: (g.windows || "") !== ""; text: ui.t.windows + "：" + g.windows }
                        KText { width: parent.width; text: ui.t.time_limits + "：" + ui.t.statutory_days + " " + g.statutory + "，" + ui.t.promised_days + " " + g.promised }
                        KText { width: parent.width; text: ui.t.fee + "：" + g.fee }
                        KText { width: parent.width; visible: (g.hours || "") !== ""; text: ui.t.hours + "：" + g.hours }
                        KText { width: parent.width; visible: (g.agency || "") !== ""; text: ui.t.agency + "：" + g.agency; color: ui.theme.muted; font.pixelSize: ui.theme.small }
                        KText { width: parent.width; visible: (g.legalBasis || "") !== ""; text: ui.t.legal_basis + "：" + g.legalBasis; color: ui.theme.muted; font.pixelSize: ui.theme.small }
                    }
                }

                KText { text: ui.t.conditions; font.bold: true; font.pixelSize: ui.theme.title * 0.85 }
                Repeater {
                    model: g.conditions || []
                    KText { width: body.width; text: "• " + modelData }
                }

                KText { text: ui.t.materials; font.bold: true; font.pixelSize: ui.theme.title * 0.85 }
                Repeater {
                    objectName: "materialsList"
                    model: g.materials || []
                    Rectangle {
                        width: body.width
                        height: mat.implicitHeight + 24
                        color: ui.theme.panel
                        border.color: ui.theme.border
                        radius: 10
                        RowLayout {
                            id: mat
                            x: 16; y: 12
                            width: parent.width - 32
                            spacing: 14
                            Rectangle {
                                Layout.preferredWidth: tag.implicitWidth + 24
                                Layout.preferredHeight: tag.implicitHeight + 10
                                radius: 8
                                color: modelData.requirement === "required" ? ui.theme.accent
                                       : (modelData.requirement === "optional" ? ui.theme.muted : ui.theme.ok)
                                KText {
                                    id: tag
                                    anchors.centerIn: parent
                                    text: modelData.requirementLabel
                                    color: ui.theme.accentFg
                                    font.pixelSize: ui.theme.small
                                    wrapMode: Text.NoWrap
                                }
                            }
                            KText {
                                Layout.fillWidth: true
                                text: modelData.name + "（" + modelData.copiesText
                                      + (modelData.form ? "，" + modelData.form : "") + "）"
                                      + (modelData.note ? "\n" + modelData.note : "")
                            }
                        }
                    }
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

        GridLayout {
            Layout.fillWidth: true
            // Landscape: one row of four, so the guide keeps most of the height.
            columns: root.landscape ? 4 : 2
            columnSpacing: ui.theme.gap
            rowSpacing: ui.theme.gap
            BigButton {
                objectName: "printNoticeButton"
                Layout.fillWidth: true
                Layout.preferredHeight: ui.theme.touch * 1.3
                text: ui.t.print_materials
                enabled: health.printerStatus.paper !== "out"
                onClicked: issuing.printNotice()
            }
            BigButton {
                objectName: "takeTicketButton"
                Layout.fillWidth: true
                Layout.preferredHeight: ui.theme.touch * 1.3
                primary: true
                // Always a button: when no ticket can be had now, the touch says why and what to do.
                text: g.selfService ? ui.t.use_self_service : ui.t.take_ticket
                subText: g.status || ""
                onClicked: kiosk.takeTicket()
            }
            BigButton {
                objectName: "backButton"
                Layout.fillWidth: true
                Layout.preferredHeight: ui.theme.touch
                text: ui.t.back
                onClicked: kiosk.back()
            }
            BigButton {
                objectName: "homeButton"
                Layout.fillWidth: true
                Layout.preferredHeight: ui.theme.touch
                text: ui.t.home
                onClicked: kiosk.goHome()
            }
        }
    }
}
