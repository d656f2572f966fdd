use super::wire_enum;

wire_enum! {
    /// A dialog action: what a participant may do (`actions/action`) and what a request asks
    /// for (`requestedAction`).
    Action {
        MakeCall => "MAKE_CALL",
        Answer => "ANSWER",
        Hold => "HOLD",
        Retrieve => "RETRIEVE",
        Drop => "DROP",
        UpdateCallData => "UPDATE_CALL_DATA",
        SendDtmf => "SEND_DTMF",
        ConsultCall => "CONSULT_CALL",
        Conference => "CONFERENCE",
        Transfer => "TRANSFER",
        /// Single-step (blind) transfer.
        TransferSst => "TRANSFER_SST",
        SilentMonitor => "SILENT_MONITOR",
        BargeCall => "BARGE_CALL",
        ParticipantDrop => "PARTICIPANT_DROP",
        StartRecording => "START_RECORDING",
        UpdateScheduledCallback => "UPDATE_SCHEDULED_CALLBACK",
        CancelScheduledCallback => "CANCEL_SCHEDULED_CALLBACK",
        Reclassify => "RECLASSIFY",
        Accept => "ACCEPT",
        Reject => "REJECT",
        Close => "CLOSE",
    }
}
