#pragma once
// Signals handled synchronously by the main thread. They are blocked before
// any thread starts (blockServerSignals at the top of main), so no worker thread
// ever receives SIGTERM with its default, process-killing action; Poco's own
// waitForTerminationRequest blocks them too late for that.
namespace rportd::app {

enum class ServerSignal { Terminate, Reload };

void blockServerSignals();
// Waits for SIGTERM/SIGINT/SIGQUIT (Terminate) or SIGHUP (Reload).
ServerSignal waitForServerSignal();

}  // namespace rportd::app
