// Maintenance: settings picked from lists (profiles, ports found, baud rates) or typed on the on-screen
// or a plugged-in keyboard, validated before saving; device and network tests.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    id: page
    property string editing: ""
    property var choices: editing === "" ? [] : maint.choices(editing)
    // A technician's USB keyboard types into the field being edited (Enter or Esc ends editing).
    focus: true
    onEditingChanged: forceActiveFocus()
    Keys.onPressed: (event) => {
        if (page.editing === "") return
        var v = maint.value(page.editing)
        if (event.key === Qt.Key_Backspace) v = v.slice(0, -1)
        else if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter || event.key === Qt.Key_Escape) {
            page.editing = ""; event.accepted = true; return
        }
        else if (event.text.length > 0 && event.text.charCodeAt(0) >= 32) v = v + event.text
        else return
        maint.setValue(page.editing, v)
        event.accepted = true
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 14

        ScreenTitle { Layout.fillWidth: true; text: ui.t.maintenance }

        Flickable {
            id: flick
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentHeight: fieldsCol.implicitHeight
            Column {
                id: fieldsCol
                width: flick.width
                spacing: 10
                Repeater {
                    model: maint.fields
                    Rectangle {
                        width: fieldsCol.width
                        height: Math.max(ui.theme.touch, row.implicitHeight + 20)
                        radius: 10
                        color: page.editing === modelData.key ? "#DCE8F5" : ui.theme.panel
                        border.color: modelData.error !== "" ? ui.theme.bad : ui.theme.border
                        border.width: modelData.error !== "" ? 4 : 2
                        Column {
                            id: row
                            x: 16; y: 10
                            width: parent.width - 32
                            KText { width: parent.width; text: modelData.label; font.pixelSize: ui.theme.small; color: ui.theme.muted }
                            KText {
                                objectName: "field_" + modelData.key
                                width: parent.width
                                text: modelData.secret && page.editing !== modelData.key && modelData.value !== ""
                                      ? "••••••" : (modelData.value === "" ? "—" : modelData.value)
                                font.pixelSize: ui.theme.font
                                wrapMode: Text.WrapAnywhere
                            }
                            KText {
                                objectName: "error_" + modelData.key
                                width: parent.width
                                visible: modelData.error !== ""
                                text: modelData.error
                                color: ui.theme.bad
                                font.pixelSize: ui.theme.small
                            }
                        }
                        MouseArea {
                            objectName: "edit_" + modelData.key
                            anchors.fill: parent
                            onClicked: page.editing = (page.editing === modelData.key ? "" : modelData.key)
                        }
                    }
                }
                KText { width: parent.width; text: ui.t.recent_log; font.bold: true }
                KText {
                    objectName: "logText"
                    width: parent.width
                    text: maint.logText
                    font.pixelSize: 20
                    font.family: "monospace"
                    wrapMode: Text.WrapAnywhere
                    color: ui.theme.muted
                }
            }
        }

        Flow {
            objectName: "choices"
            visible: page.choices.length > 0
            Layout.fillWidth: true
            spacing: 10
            Repeater {
                model: page.choices
                BigButton {
                    objectName: "choice_" + modelData
                    width: Math.max(160, implicitWidth)
                    height: ui.theme.touch
                    text: modelData
                    fontSize: ui.theme.small
                    primary: maint.value(page.editing) === modelData
                    onClicked: { maint.setValue(page.editing, modelData); page.editing = "" }
                }
            }
        }

        TextKeyboard {
            visible: page.editing !== ""
            Layout.fillWidth: true
            onKeyPressed: (key) => {
                var v = maint.value(page.editing)
                if (key === "del") v = v.slice(0, -1)
                else if (key === "clear") v = ""
                else v = v + key
                maint.setValue(page.editing, v)
            }
        }

        KText {
            objectName: "maintResult"
            Layout.fillWidth: true
            text: maint.result
            visible: text !== ""
            font.bold: true
            wrapMode: Text.WrapAnywhere
        }

        GridLayout {
            Layout.fillWidth: true
            columns: 4
            columnSpacing: 12
            rowSpacing: 12
            BigButton { objectName: "saveButton"; Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch; primary: true; text: ui.t.save; fontSize: ui.theme.small; onClicked: { page.editing = ""; maint.save() } }
            BigButton { objectName: "testPrintButton"; Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch; text: ui.t.test_print; fontSize: ui.theme.small; onClicked: maint.testPrint() }
            BigButton { objectName: "testCardButton"; Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch; text: ui.t.test_card; fontSize: ui.theme.small; onClicked: maint.testCardRead() }
            BigButton { objectName: "networkButton"; Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch; text: ui.t.network_check; fontSize: ui.theme.small; onClicked: maint.networkCheck() }
            BigButton { objectName: "pairButton"; Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch; text: ui.t.pair; fontSize: ui.theme.small; onClicked: { page.editing = ""; maint.pair() } }
            BigButton { objectName: "logButton"; Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch; text: ui.t.recent_log; fontSize: ui.theme.small; onClicked: maint.refreshLog() }
            BigButton { objectName: "restartButton"; Layout.fillWidth: true; Layout.preferredHeight: ui.theme.touch; text: ui.t.restart; fontSize: ui.theme.small; onClicked: maint.restart() }
            BigButton { objectName: "leaveButton"; Layout.fillWidth: true; Layout.columnSpan: 1; Layout.preferredHeight: ui.theme.touch; text: ui.t.exit_maintenance; fontSize: ui.theme.small; onClicked: maint.leave() }
        }
    }
}
