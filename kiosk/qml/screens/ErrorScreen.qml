// A ticket could not be issued: say why in plain words and what to do; a retry cannot double-issue.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    readonly property var r: issuing.refusal

    ColumnLayout {
        anchors.fill: parent
        spacing: ui.theme.gap * 2
        Item { Layout.fillHeight: true }
        KText {
            objectName: "errorText"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: r.title || ""
            font.pixelSize: ui.theme.big
            font.bold: true
            color: ui.theme.bad
        }
        KText {
            objectName: "errorNext"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            visible: text !== ""
            text: r.next || ""
            font.pixelSize: ui.theme.title
        }
        Item { Layout.fillHeight: true }
        BigButton {
            objectName: "retryButton"
            visible: r.retry === true
            Layout.fillWidth: true
            Layout.preferredHeight: ui.theme.touch * 1.3
            primary: true
            text: ui.t.retry
            onClicked: kiosk.retryIssue()
        }
        NavRow { Layout.fillWidth: true }
    }
}
