// 打印预约凭条: shown while a slip can be printed; gone while one prints (one touch, one slip).
import QtQuick
import QtQuick.Layouts

ColumnLayout {
    spacing: ui.theme.gap / 2
    BigButton {
        objectName: "printSlipButton"
        visible: checkin.canPrintSlip
        Layout.fillWidth: true
        Layout.preferredHeight: ui.theme.touch * 1.3
        text: ui.t.print_slip
        onClicked: checkin.printSlip()
    }
    KText {
        objectName: "slipMessage"
        visible: checkin.slipMessage !== ""
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        text: checkin.slipMessage
        font.pixelSize: ui.theme.title
        font.bold: true
    }
}
