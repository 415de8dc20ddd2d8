; The first touch of a page while rsp is non-canonical, as measured on the reference host (Linux
; 6.18 on AMD EPYC; the emulator's model is src/linux/noncanonical-rsp.ts; fuzz instructions case
; 9945): it suspends #AC while rsp stays non-canonical.
; Each case starts with RFLAGS.AC set, rbx = DATA (an untouched page) and rsp 8 below the initial
; one (so that bswap rsp always makes it non-canonical: its low byte is never 0 or 0xff). DATA and
; DATA2 are pages whose tail the loader zeroed, as in corpus/programs/ac-noncanonical-rsp.inc: on
; the host only such a page behaves as described (see the end of this file).
%include "case.inc"

%macro bswap_rsp 0
  bswap rsp
%endmacro
; a read of DATA: its first touch
%macro touch 0
  mov ecx, [rbx]
%endmacro
; a misaligned load from DATA
%macro misaligned 0
  db 0x44, 0x63, 0x43, 0x01  ; movsxd r8d, dword [rbx+1]: nasm 2.16 refuses a 32-bit destination
%endmacro
; a read of DATA2: its first touch
%macro touch_data_2 0
  mov ecx, [abs DATA2]
%endmacro

case_start
  push rax
  ac_on
  mov ebx, DATA
%ifidn CASE, none                                    ; exited 0

; #AC is suspended while rsp stays non-canonical
%elifidn CASE, bswap_touch_misaligned                ; exited 0
  bswap_rsp
  touch
  misaligned
%elifidn CASE, bswap_touch_add_misaligned            ; exited 0
  bswap_rsp
  touch
  add rsp, 8
  misaligned
%elifidn CASE, rsp_ffff7fffffffffff_touch_misaligned ; exited 0
  mov rsp, 0xffff7fffffffffff
  touch
  misaligned

; ... but not without the first touch, for a page touched before, or once rsp is canonical again
%elifidn CASE, ac_misaligned                         ; killed SIGBUS
  misaligned
%elifidn CASE, bswap_misaligned                      ; killed SIGBUS
  bswap_rsp
  misaligned
%elifidn CASE, touch_bswap_touch_misaligned          ; killed SIGBUS
  touch
  bswap_rsp
  touch
  misaligned
%elifidn CASE, bswap_touch_bswap_misaligned          ; killed SIGBUS
  bswap_rsp
  touch
  bswap_rsp
  misaligned
%elifidn CASE, bswap_touch_bswap_bswap_misaligned    ; killed SIGBUS
  bswap_rsp
  touch
  bswap_rsp
  bswap_rsp
  misaligned
%elifidn CASE, rsp_ffff800000000000_touch_misaligned ; killed SIGBUS
  mov rsp, 0xffff800000000000
  touch
  misaligned

; a first touch with a canonical rsp does not count
%elifidn CASE, touch_data_2_bswap_touch_misaligned  ; exited 0
  touch_data_2
  bswap_rsp
  touch
  misaligned

; Not cases here, as the host disagrees with the emulator (each run natively 2-3 times):
; - a second first touch while rsp is non-canonical, `bswap_rsp; touch; touch_data_2`, exits 0 on
;   the host (the emulator: SIGSEGV, its "a second such first touch kills"; cpu.test.ts keeps that
;   fact, on the emulator only);
; - the first touch of a page the loader did not write (anonymous memory: bss past the file's
;   pages, a segment of file size 0; or a file page of a segment whose file size ends on a page
;   boundary), `bswap_rsp; touch; misaligned`, is SIGSEGV at the touch (the emulator: exits 0);
; - a read of the code segment's second page (file-backed, never executed), `bswap_rsp;
;   mov ecx, [abs 0x401000]; movsxd r8d, [0x401001]`, leaves #AC on: SIGBUS (the emulator: exits 0),
;   and `bswap_rsp; touch; mov ecx, [abs 0x401000]` exits 0 (the emulator: SIGSEGV).
%else
  %error unknown CASE
%endif
case_end
