// The items of one zone (or the common ones): one touch opens the service guide.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap

        ScreenTitle {
            objectName: "servicesTitle"
            Layout.fillWidth: true
            text: catalogue.zoneTitle + " · " + ui.t.choose_service
        }

        GridView {
            id: grid
            objectName: "serviceGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            readonly property int columns: root.landscape ? 4 : 2
            // Fit every item of the list on one screen when it can be done with 2 cm targets: no
            // scrolling needed for the 20 common items.
            readonly property int rows: Math.max(1, Math.ceil(count / columns))
            readonly property bool compact: height / rows < ui.theme.touch * 1.6
            cellWidth: width / columns
            cellHeight: Math.max(ui.theme.touch + 20, Math.min(ui.theme.touch * 1.9, Math.floor(height / rows)))
            model: catalogue.services
            delegate: Item {
                width: grid.cellWidth
                height: grid.cellHeight
                BigButton {
                    objectName: "service_" + modelData.code
                    anchors.fill: parent
                    anchors.margins: 10
                    text: modelData.name
                    fontSize: grid.compact ? ui.theme.small : ui.theme.font
                    // Waiting counts only while open and the server answers: at night "0 waiting" is noise, and
                    // with the server down the last count is stale (the banner says why).
                    subText: modelData.status + (modelData.open && !modelData.selfService && health.serverOnline
                             ? " · " + ui.t.waiting + " " + modelData.waiting + " " + ui.t.people : "")
                    onClicked: kiosk.openService(modelData.code)
                }
            }
        }

        NavRow { Layout.fillWidth: true }
    }
}
