// The kiosk window: top bar, status banner, the current screen, and (in --simulate) a device strip.
import QtQuick
import QtQuick.Window
import "components"

Window {
    id: root
    width: 1080
    height: 1920
    visible: true
    visibility: startFullScreen ? Window.FullScreen : Window.Windowed
    title: "hall-kiosk"
    color: kiosk.theme.bg
    readonly property bool landscape: kiosk.orientation === "landscape"
                                      || (kiosk.orientation === "auto" && width > height)

    TopBar {
        id: topBar
        objectName: "topBar"
        anchors { left: parent.left; right: parent.right; top: parent.top }
    }

    Rectangle {
        id: banner
        objectName: "banner"
        visible: kiosk.banner !== "" && kiosk.screen !== "maintenance" && kiosk.screen !== "pin"
        anchors { left: parent.left; right: parent.right; top: topBar.bottom }
        height: visible ? bannerText.implicitHeight + 40 : 0
        color: kiosk.theme.bannerBg
        KText {
            id: bannerText
            objectName: "bannerText"
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 30 }
            text: kiosk.banner
            color: kiosk.theme.bannerFg
            font.bold: true
            horizontalAlignment: Text.AlignHCenter
        }
    }

    Loader {
        id: screenLoader
        objectName: "screenLoader"
        anchors {
            left: parent.left; right: parent.right; top: banner.bottom
            bottom: simStrip.visible ? simStrip.top : parent.bottom
            margins: kiosk.theme.gap
        }
        source: "screens/" + kiosk.screen.charAt(0).toUpperCase() + kiosk.screen.slice(1) + "Screen.qml"
    }

    SimStrip {
        id: simStrip
        visible: sim !== null
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
    }
}
