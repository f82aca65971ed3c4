// Hall name (five taps open maintenance), clock, and the display toggles every citizen can reach.
import QtQuick
import QtQuick.Layouts

Rectangle {
    height: ui.theme.touch + 40
    color: ui.theme.accent

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
                    height: ui.theme.touch - clockText.height
                    text: catalogue.hallName
                    color: ui.theme.accentFg
                    font.pixelSize: ui.theme.font
                    font.bold: true
                    verticalAlignment: Text.AlignVCenter
                    // Shrink to fit rather than cut or strand one character on a line: Chinese on one
                    // line, English on as many lines as the bar holds, broken between words only.
                    fontSizeMode: Text.Fit
                    minimumPixelSize: 16
                    wrapMode: ui.lang === "en" ? Text.WordWrap : Text.NoWrap
                }
                KText {
                    id: clockText
                    text: catalogue.clock
                    color: ui.theme.accentFg
                    font.pixelSize: ui.theme.small
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
            text: ui.t.large_text
            Layout.preferredWidth: ui.theme.touch * 1.7
            Layout.preferredHeight: ui.theme.touch
            checked: ui.largeText
            fontSize: ui.theme.small
            onClicked: ui.toggleLargeText()
        }
        BigButton {
            objectName: "contrastButton"
            text: ui.t.high_contrast
            Layout.preferredWidth: ui.theme.touch * 1.7
            Layout.preferredHeight: ui.theme.touch
            checked: ui.highContrast
            fontSize: ui.theme.small
            onClicked: ui.toggleHighContrast()
        }
        BigButton {
            objectName: "languageButton"
            text: ui.t.language_toggle
            Layout.preferredWidth: ui.theme.touch * 1.6
            Layout.preferredHeight: ui.theme.touch
            fontSize: ui.theme.small
            onClicked: ui.toggleLanguage()
        }
    }
}
