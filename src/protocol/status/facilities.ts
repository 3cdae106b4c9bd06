/** HRESULT facility codes (winerror.h "Define the facility codes"), by number; where the header gives two names, both. */
const HRESULT_FACILITIES: ReadonlyMap<number, string> = new Map([
  [0, 'FACILITY_NULL'],
  [1, 'FACILITY_RPC'],
  [2, 'FACILITY_DISPATCH'],
  [3, 'FACILITY_STORAGE'],
  [4, 'FACILITY_ITF'],
  [7, 'FACILITY_WIN32'],
  [8, 'FACILITY_WINDOWS'],
  [9, 'FACILITY_SECURITY'],
  [10, 'FACILITY_CONTROL'],
  [11, 'FACILITY_CERT'],
  [12, 'FACILITY_INTERNET'],
  [13, 'FACILITY_MEDIASERVER'],
  [14, 'FACILITY_MSMQ'],
  [15, 'FACILITY_SETUPAPI'],
  [16, 'FACILITY_SCARD'],
  [17, 'FACILITY_COMPLUS'],
  [19, 'FACILITY_URT'],
  [23, 'FACILITY_SXS'],
  [25, 'FACILITY_HTTP'],
  [27, 'FACILITY_WER'],
  [32, 'FACILITY_BACKGROUNDCOPY'],
  [33, 'FACILITY_CONFIGURATION'],
  [34, 'FACILITY_STATE_MANAGEMENT'],
  [35, 'FACILITY_METADIRECTORY'],
  [36, 'FACILITY_WINDOWSUPDATE'],
  [37, 'FACILITY_DIRECTORYSERVICE'],
  [38, 'FACILITY_GRAPHICS'],
  [39, 'FACILITY_SHELL'],
  [40, 'FACILITY_TPM_SERVICES'],
  [41, 'FACILITY_TPM_SOFTWARE'],
  [48, 'FACILITY_PLA'],
  [49, 'FACILITY_FVE'],
  [50, 'FACILITY_FWP'],
  [51, 'FACILITY_WINRM'],
  [52, 'FACILITY_NDIS'],
  [53, 'FACILITY_USERMODE_HYPERVISOR'],
  [54, 'FACILITY_CMI'],
  [55, 'FACILITY_USERMODE_VIRTUALIZATION'],
  [56, 'FACILITY_USERMODE_VOLMGR'],
  [57, 'FACILITY_BCD'],
  [58, 'FACILITY_USERMODE_VHD'],
  [59, 'FACILITY_USERMODE_HNS'],
  [60, 'FACILITY_SDIAG'],
  [61, 'FACILITY_WEBSERVICES'],
  [62, 'FACILITY_WPN'],
  [63, 'FACILITY_WINDOWS_STORE'],
  [64, 'FACILITY_INPUT'],
  [65, 'FACILITY_QUIC'],
  [66, 'FACILITY_EAP'],
  [80, 'FACILITY_WINDOWS_DEFENDER'],
  [83, 'FACILITY_RAS'],
  [84, 'FACILITY_POWERSHELL'],
]);

/** NTSTATUS facility codes (ntstatus.h). Facility 0 is the system's own status space and has no name. */
const NT_FACILITIES: ReadonlyMap<number, string> = new Map([
  [0x1, 'FACILITY_DEBUGGER'],
  [0x2, 'FACILITY_RPC_RUNTIME'],
  [0x3, 'FACILITY_RPC_STUBS'],
  [0x4, 'FACILITY_IO_ERROR_CODE'],
  [0xa, 'FACILITY_TERMINAL_SERVER'],
  [0x10, 'FACILITY_USB_ERROR_CODE'],
  [0x11, 'FACILITY_HID_ERROR_CODE'],
  [0x12, 'FACILITY_FIREWIRE_ERROR_CODE'],
  [0x13, 'FACILITY_CLUSTER_ERROR_CODE'],
  [0x14, 'FACILITY_ACPI_ERROR_CODE'],
  [0x15, 'FACILITY_SXS_ERROR_CODE'],
  [0x19, 'FACILITY_TRANSACTION'],
  [0x1a, 'FACILITY_COMMONLOG_ERROR_CODE'],
]);

/** HRESULT_FACILITY(hr): the 13-bit facility of an HRESULT. */
export function hresultFacility(value: number): string | undefined {
  return HRESULT_FACILITIES.get((value >>> 16) & 0x1fff);
}

/** The 12-bit facility of an NTSTATUS. */
export function ntFacility(value: number): string | undefined {
  return NT_FACILITIES.get((value >>> 16) & 0xfff);
}
