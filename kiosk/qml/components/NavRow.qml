// Back and Home, always in the same place at the bottom of a screen.
import QtQuick
import QtQuick.Layouts

RowLayout {
    spacing: kiosk.theme.gap
    property bool showBack: true
    BigButton {
        objectName: "backButton"
        visible: parent.showBack
        text: kiosk.t.back
        Layout.fillWidth: true
        Layout.preferredHeight: kiosk.theme.touch
        onClicked: kiosk.back()
    }
    BigButton {
        objectName: "homeButton"
        text: kiosk.t.home
        Layout.fillWidth: true
        Layout.preferredHeight: kiosk.theme.touch
        onClicked: kiosk.goHome()
    }
}
