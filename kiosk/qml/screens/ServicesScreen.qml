// The items of one zone (or the common ones): one touch opens the service guide.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: kiosk.theme.gap

        ScreenTitle {
            objectName: "servicesTitle"
            Layout.fillWidth: true
            text: kiosk.zoneTitle + " · " + kiosk.t.choose_service
        }

        GridView {
            id: grid
            objectName: "serviceGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            readonly property int columns: root.landscape ? 3 : 2
            cellWidth: width / columns
            cellHeight: kiosk.theme.touch * 1.9
            model: kiosk.services
            delegate: Item {
                width: grid.cellWidth
                height: grid.cellHeight
                BigButton {
                    objectName: "service_" + modelData.code
                    anchors.fill: parent
                    anchors.margins: 10
                    text: modelData.name
                    subText: (modelData.open ? kiosk.t.open_now : kiosk.t.closed_now) + " · "
                             + kiosk.t.waiting + " " + modelData.waiting + " " + kiosk.t.people
                    onClicked: kiosk.openService(modelData.code)
                }
            }
        }

        NavRow { Layout.fillWidth: true }
    }
}
