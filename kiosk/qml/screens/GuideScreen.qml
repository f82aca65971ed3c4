// The service guide: conditions, materials (required / optional / later), limits, fee, where to go.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    readonly property var g: kiosk.guide

    ColumnLayout {
        anchors.fill: parent
        spacing: kiosk.theme.gap

        ScreenTitle {
            objectName: "guideTitle"
            Layout.fillWidth: true
            text: (g.name || "") + " · " + kiosk.t.service_guide
        }
        KText {
            objectName: "guideCacheNote"
            Layout.fillWidth: true
            visible: kiosk.guideFromCache
            text: kiosk.t.from_cache
            color: kiosk.theme.warn
        }

        Flickable {
            id: flick
            objectName: "guideFlick"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentHeight: body.implicitHeight
            flickableDirection: Flickable.VerticalFlick

            Column {
                id: body
                width: flick.width
                spacing: 14

                Rectangle {
                    width: parent.width
                    height: facts.implicitHeight + 30
                    color: kiosk.theme.panel
                    border.color: kiosk.theme.border
                    radius: kiosk.theme.radius
                    Column {
                        id: facts
                        x: 20; y: 15
                        width: parent.width - 40
                        spacing: 6
                        KText { width: parent.width; text: kiosk.t.location + "：" + (g.zoneName || "") + " " + (g.location || "") }
                        KText { width: parent.width; visible: (g.windows || "") !== ""; text: kiosk.t.windows + "：" + g.windows }
                        KText { width: parent.width; text: kiosk.t.time_limits + "：" + kiosk.t.statutory_days + " " + g.statutory + "，" + kiosk.t.promised_days + " " + g.promised }
                        KText { width: parent.width; text: kiosk.t.fee + "：" + g.fee }
                        KText { width: parent.width; visible: (g.hours || "") !== ""; text: kiosk.t.hours + "：" + g.hours }
                        KText { width: parent.width; visible: (g.agency || "") !== ""; text: kiosk.t.agency + "：" + g.agency; color: kiosk.theme.muted; font.pixelSize: kiosk.theme.small }
                        KText { width: parent.width; visible: (g.legalBasis || "") !== ""; text: kiosk.t.legal_basis + "：" + g.legalBasis; color: kiosk.theme.muted; font.pixelSize: kiosk.theme.small }
                    }
                }

                KText { text: kiosk.t.conditions; font.bold: true; font.pixelSize: kiosk.theme.title * 0.85 }
                Repeater {
                    model: g.conditions || []
                    KText { width: body.width; text: "• " + modelData }
                }

                KText { text: kiosk.t.materials; font.bold: true; font.pixelSize: kiosk.theme.title * 0.85 }
                Repeater {
                    objectName: "materialsList"
                    model: g.materials || []
                    Rectangle {
                        width: body.width
                        height: mat.implicitHeight + 24
                        color: kiosk.theme.panel
                        border.color: kiosk.theme.border
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
                                color: modelData.requirement === "required" ? kiosk.theme.accent
                                       : (modelData.requirement === "optional" ? kiosk.theme.muted : kiosk.theme.ok)
                                KText {
                                    id: tag
                                    anchors.centerIn: parent
                                    text: modelData.requirementLabel
                                    color: kiosk.theme.accentFg
                                    font.pixelSize: kiosk.theme.small
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
            visible: kiosk.message !== ""
            text: kiosk.message
            color: kiosk.theme.warn
            font.bold: true
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: kiosk.theme.gap
            BigButton {
                objectName: "printNoticeButton"
                Layout.fillWidth: true
                Layout.preferredHeight: kiosk.theme.touch * 1.3
                text: kiosk.t.print_materials
                enabled: kiosk.printerStatus.paper !== "out"
                onClicked: kiosk.printNotice()
            }
            BigButton {
                objectName: "takeTicketButton"
                Layout.fillWidth: true
                Layout.preferredHeight: kiosk.theme.touch * 1.3
                primary: true
                text: kiosk.t.take_ticket
                subText: kiosk.canTakeTicket ? "" : (g.open ? "" : kiosk.t.item_closed)
                enabled: kiosk.canTakeTicket
                onClicked: kiosk.takeTicket()
            }
        }
        NavRow { Layout.fillWidth: true }
    }
}
