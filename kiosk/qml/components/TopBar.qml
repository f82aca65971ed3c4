// Hall name (five taps open maintenance), clock, and the display toggles every citizen can reach.
import QtQuick
import QtQuick.Layouts

Rectangle {
    height: kiosk.theme.touch + 40
    color: kiosk.theme.accent

    RowLayout {
        anchors.fill: parent
        anchors.margins: 20
        spacing: 16

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Column {
                anchors.verticalCenter: parent.verticalCenter
                width: parent.width
                KText {
                    objectName: "hallName"
                    width: parent.width
                    text: kiosk.hallName
                    color: kiosk.theme.accentFg
                    font.pixelSize: kiosk.theme.font
                    font.bold: true
                    maximumLineCount: 2
                    elide: Text.ElideRight
                }
                KText {
                    text: kiosk.clock
                    color: kiosk.theme.accentFg
                    font.pixelSize: kiosk.theme.small
                }
            }
            Item {
                objectName: "secretArea"
                anchors.fill: parent
                // TapHandler counts every tap of a quick series (a MouseArea turns them into double-clicks).
                TapHandler { onTapped: kiosk.secretTap() }
            }
        }
        BigButton {
            objectName: "largeTextButton"
            text: kiosk.t.large_text
            Layout.preferredWidth: kiosk.theme.touch * 1.6
            Layout.preferredHeight: kiosk.theme.touch
            primary: kiosk.largeText
            fontSize: kiosk.theme.small
            onClicked: kiosk.toggleLargeText()
        }
        BigButton {
            objectName: "contrastButton"
            text: kiosk.t.high_contrast
            Layout.preferredWidth: kiosk.theme.touch * 1.6
            Layout.preferredHeight: kiosk.theme.touch
            primary: kiosk.highContrast
            fontSize: kiosk.theme.small
            onClicked: kiosk.toggleHighContrast()
        }
        BigButton {
            objectName: "languageButton"
            text: kiosk.t.language_toggle
            Layout.preferredWidth: kiosk.theme.touch * 1.8
            Layout.preferredHeight: kiosk.theme.touch
            fontSize: kiosk.theme.small
            onClicked: kiosk.toggleLanguage()
        }
    }
}
