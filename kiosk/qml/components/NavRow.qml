// Back and Home, always in the same place at the bottom of a screen.
import QtQuick
import QtQuick.Layouts

RowLayout {
    spacing: ui.theme.gap
    property bool showBack: true
    BigButton {
        objectName: "backButton"
        visible: parent.showBack
        text: ui.t.back
        Layout.fillWidth: true
        Layout.preferredHeight: ui.theme.touch
        onClicked: kiosk.back()
    }
    BigButton {
        objectName: "homeButton"
        text: ui.t.home
        Layout.fillWidth: true
        Layout.preferredHeight: ui.theme.touch
        onClicked: kiosk.goHome()
    }
}
