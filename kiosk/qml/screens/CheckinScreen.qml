// 预约签到: place the ID card on the reader, or hold the booking's QR code under the scanner.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap * 1.5

        ScreenTitle { objectName: "checkinTitle"; Layout.fillWidth: true; text: ui.t.checkin }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            radius: ui.theme.radius
            color: ui.theme.panel
            border.color: ui.theme.accent
            border.width: 4
            Column {
                anchors.centerIn: parent
                width: parent.width - 80
                spacing: 36
                Row {
                    anchors.horizontalCenter: parent.horizontalCenter
                    spacing: 60
                    Rectangle {  // where the card goes
                        width: 300; height: 190; radius: 18
                        color: "#DCE8F5"
                        border.color: ui.theme.accent; border.width: 4
                        KText { anchors.centerIn: parent; text: "ID"; font.pixelSize: 80; color: ui.theme.accent; font.bold: true }
                    }
                    Rectangle {  // a QR code's shape: three corner squares
                        width: 190; height: 190; radius: 12
                        color: "white"
                        border.color: ui.theme.accent; border.width: 4
                        Repeater {
                            model: [[20, 20], [110, 20], [20, 110]]
                            Rectangle {
                                x: modelData[0]; y: modelData[1]; width: 60; height: 60
                                color: "transparent"; border.color: "black"; border.width: 12
                            }
                        }
                    }
                }
                KText {
                    objectName: "checkinPlaceCard"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    font.pixelSize: ui.theme.big
                    font.bold: true
                    text: identity.readerState === "ok" ? ui.t.place_card
                          : (identity.readerState === "absent" ? ui.t.reader_absent : ui.t.reader_error)
                }
                KText {
                    objectName: "checkinScanText"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    font.pixelSize: ui.theme.title
                    text: ui.t.checkin_scan
                }
            }
        }
        NavRow { Layout.fillWidth: true }
    }
}
