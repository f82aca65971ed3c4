// Only with --simulate: stands in for the citizen's hands on the card reader, scanner and paper roll.
import QtQuick
import QtQuick.Layouts

Rectangle {
    height: visible ? ui.theme.touch + 30 : 0
    color: "#333333"
    RowLayout {
        anchors.fill: parent
        anchors.margins: 15
        spacing: 12
        KText { text: "SIM"; color: "white"; font.pixelSize: 26; font.bold: true; wrapMode: Text.NoWrap }
        BigButton {
            objectName: "simCard0"; text: "放卡 1"; fontSize: 24
            Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch
            onClicked: sim.presentCard(0)
        }
        BigButton {
            objectName: "simCard1"; text: "放卡 2"; fontSize: 24
            Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch
            onClicked: sim.presentCard(1)
        }
        BigButton {
            objectName: "simRemove"; text: "取卡"; fontSize: 24
            Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch
            onClicked: sim.removeCard()
        }
        BigButton {
            objectName: "simScan"; text: "扫码"; fontSize: 24
            enabled: sim !== null && sim.lastStatusUrl !== ""
            Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch
            onClicked: sim.scan(sim.lastStatusUrl)
        }
        BigButton {
            objectName: "simPaper"; fontSize: 24
            text: sim !== null && sim.paper === "ok" ? "缺纸" : "装纸"
            Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch
            onClicked: sim.togglePaper()
        }
    }
}
