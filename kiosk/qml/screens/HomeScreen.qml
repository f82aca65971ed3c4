// Home: the hall's zones with live waiting counts and open/closed, plus common items and look-up.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: kiosk.theme.gap

        ScreenTitle {
            objectName: "homePrompt"
            Layout.fillWidth: true
            text: kiosk.t.home_prompt
        }

        GridView {
            id: grid
            objectName: "zoneGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            readonly property int columns: root.landscape ? 3 : 2
            cellWidth: width / columns
            // Tall enough for a two-line name and two lines of status, also in large text.
            cellHeight: Math.max(kiosk.theme.touch * 2.2, kiosk.theme.title * 2.6 + kiosk.theme.small * 2.8 + 40)
            model: kiosk.zones
            delegate: Item {
                width: grid.cellWidth
                height: grid.cellHeight
                BigButton {
                    objectName: "zone_" + modelData.key
                    anchors.fill: parent
                    anchors.margins: 10
                    text: modelData.name
                    subText: (modelData.open ? kiosk.t.open_now : kiosk.t.closed_now) + " · "
                             + kiosk.t.waiting + " " + modelData.waiting + " " + kiosk.t.people
                             + (modelData.location ? "\n" + modelData.location : "")
                    fontSize: kiosk.theme.title
                    onClicked: kiosk.openZone(modelData.key)
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: kiosk.theme.gap
            BigButton {
                objectName: "commonButton"
                Layout.fillWidth: true
                Layout.preferredHeight: kiosk.theme.touch * 1.6
                primary: true
                text: kiosk.t.common_items
                subText: kiosk.t.common_items_hint
                onClicked: kiosk.openCommon()
            }
            BigButton {
                objectName: "lookupButton"
                Layout.fillWidth: true
                Layout.preferredHeight: kiosk.theme.touch * 1.6
                text: kiosk.t.lookup
                subText: kiosk.t.lookup_hint
                onClicked: kiosk.openLookup()
            }
        }
    }
}
