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
    color: ui.theme.bg
    readonly property bool landscape: ui.orientation === "landscape"
                                      || (ui.orientation === "auto" && width > height)

    TopBar {
        id: topBar
        objectName: "topBar"
        anchors { left: parent.left; right: parent.right; top: parent.top }
    }

    Rectangle {
        id: banner
        objectName: "banner"
        visible: health.banner !== "" && kiosk.screen !== "maintenance" && kiosk.screen !== "pin"
        anchors { left: parent.left; right: parent.right; top: topBar.bottom }
        height: visible ? bannerText.implicitHeight + 40 : 0
        color: ui.theme.bannerBg
        KText {
            id: bannerText
            objectName: "bannerText"
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: 30 }
            text: health.banner
            color: ui.theme.bannerFg
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
            margins: ui.theme.gap
        }
        source: "screens/" + kiosk.screen.charAt(0).toUpperCase() + kiosk.screen.slice(1) + "Screen.qml"
    }

    // The idle warning: a countdown and "继续 / Continue" before the session is wiped.
    Rectangle {
        objectName: "idleOverlay"
        visible: idle.warning
        anchors.fill: parent
        color: "#B0000000"
        z: 10
        MouseArea { anchors.fill: parent }  // a touch anywhere keeps the session (see TouchWatcher)
        Rectangle {
            anchors.centerIn: parent
            width: parent.width * 0.86
            height: idleBody.implicitHeight + 80
            radius: ui.theme.radius
            color: ui.theme.panel
            border.color: ui.theme.fg
            border.width: 4
            Column {
                id: idleBody
                x: 40; y: 40
                width: parent.width - 80
                spacing: 30
                KText {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: ui.t.idle_question
                    font.pixelSize: ui.theme.big
                    font.bold: true
                }
                KText {
                    objectName: "idleCountdown"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: ui.t.idle_countdown.replace("{n}", idle.secondsLeft)
                    font.pixelSize: ui.theme.title
                }
                BigButton {
                    objectName: "idleContinue"
                    width: parent.width
                    height: ui.theme.touch * 1.5
                    primary: true
                    fontSize: ui.theme.big
                    text: ui.t.idle_continue
                    onClicked: idle.keepAlive()
                }
            }
        }
    }

    SimStrip {
        id: simStrip
        visible: sim !== null
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
    }
}
