// A ticket could not be issued: say why in plain words; offer a retry that cannot double-issue.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    ColumnLayout {
        anchors.fill: parent
        spacing: kiosk.theme.gap * 2
        Item { Layout.fillHeight: true }
        KText {
            objectName: "errorText"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: kiosk.message
            font.pixelSize: kiosk.theme.big
            font.bold: true
            color: kiosk.theme.bad
        }
        Item { Layout.fillHeight: true }
        BigButton {
            objectName: "retryButton"
            visible: kiosk.errorCanRetry
            Layout.fillWidth: true
            Layout.preferredHeight: kiosk.theme.touch * 1.3
            primary: true
            text: kiosk.t.retry
            onClicked: kiosk.retryIssue()
        }
        NavRow { Layout.fillWidth: true }
    }
}
