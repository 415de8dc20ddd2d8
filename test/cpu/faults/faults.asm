; Instructions that end the process: the signal each raises, on the emulator as on the host kernel
; (see case.inc). The last instruction of a case faults; a case that exits 0 is the counterpart
; showing the fault comes from what the case changes.
%include "case.inc"
case_start
%ifidn CASE, none                        ; exited 0

; division: a zero divisor, a quotient too large for rax, INT64_MIN / -1
%elifidn CASE, div_zero                  ; killed SIGFPE
  xor ebx, ebx
  mov eax, 123
  xor edx, edx
  div rbx
%elifidn CASE, div_quotient_too_large    ; killed SIGFPE
  mov edx, 1
  mov ebx, 1
  xor eax, eax
  div rbx
%elifidn CASE, div_quotient_fits         ; exited 0
  mov edx, 0
  mov ebx, 1
  mov rax, -1
  div rbx
%elifidn CASE, idiv_overflow             ; killed SIGFPE
  mov rax, 0x8000000000000000
  cqo
  mov rbx, -1
  idiv rbx

; traps and instructions Linux does not let a user program run
%elifidn CASE, popf_tf                   ; killed SIGTRAP
  push TF | IF | 2           ; the trap comes after the instruction following popfq
  popfq
  nop
  nop
%elifidn CASE, int3                      ; killed SIGTRAP
  int3
%elifidn CASE, int_3                     ; killed SIGTRAP
  int 3                      ; cd 03, not cc
%elifidn CASE, int_4                     ; killed SIGSEGV
  int 4
%elifidn CASE, int_0x81                  ; killed SIGSEGV
  int 0x81
%elifidn CASE, hlt                       ; killed SIGSEGV
  hlt
%elifidn CASE, ud2                       ; killed SIGILL
  ud2
%elifidn CASE, push_es                   ; killed SIGILL
  db 0x06                    ; push es: invalid in 64-bit mode, so nasm refuses the mnemonic
%elifidn CASE, sixteen_byte_instruction  ; killed SIGSEGV
  times 15 db 0x66           ; 15 operand-size prefixes and a nop: 16 bytes, one over the limit
  nop
%elifidn CASE, fifteen_byte_instruction  ; exited 0
  times 14 db 0x66           ; (no mnemonic takes 14 prefixes)
  nop

; alignment check: with RFLAGS.AC a misaligned access is SIGBUS (Linux runs with CR0.AM), even to
; a canonical address that is unmapped or in the kernel's half; a non-canonical one is SIGSEGV
%elifidn CASE, ac_misaligned             ; killed SIGBUS
  ac_on
  mov eax, [rsp + 1]
%elifidn CASE, ac_misaligned_kernel_half ; killed SIGBUS
  mov rax, 0xffff800000000001
  ac_on
  mov eax, [rax]
%elifidn CASE, ac_misaligned_unmapped    ; killed SIGBUS
  mov eax, 0x1001
  ac_on
  mov eax, [rax]
%elifidn CASE, ac_misaligned_noncanonical ; killed SIGSEGV
  mov rax, 0x8000000000000001
  ac_on
  mov eax, [rax]

; a non-canonical address: through rbp or rsp (stack segment) #SS, SIGBUS; through another
; register or with fs, #GP, SIGSEGV
%elifidn CASE, noncanonical_rbp          ; killed SIGBUS
  mov rbp, 0x8000000000000000
  mov eax, [rbp]
%elifidn CASE, noncanonical_rbp_ds       ; killed SIGBUS
  mov rbp, 0x8000000000000000
  ds mov eax, [rbp]          ; nasm warns that ds is ignored in 64-bit mode, as it is for the address
%elifidn CASE, noncanonical_rbp_fs       ; killed SIGSEGV
  mov rbp, 0x8000000000000000
  mov eax, [fs:rbp]
%elifidn CASE, noncanonical_rbx          ; killed SIGSEGV
  mov rbx, 0x8000000000000000
  mov eax, [rbx]
%elifidn CASE, noncanonical_rsp_push     ; killed SIGBUS
  mov rsp, 0x8000000000000000
  push rax

; page protections
%elifidn CASE, store_read_only           ; killed SIGSEGV
  mov edi, 0x400100
  mov [rdi], rax
%elifidn CASE, store_last_data_bytes     ; exited 0
  mov edi, DATA + 0xffc
  mov dword [rdi], -1
%elifidn CASE, store_crossing_unmapped   ; killed SIGSEGV
  mov edi, DATA + 0xffc
  mov rax, -1
  mov [rdi], rax
%elifidn CASE, jump_to_data              ; killed SIGSEGV
  mov eax, DATA
  jmp rax

; the end of the code segment: running off it, an instruction cut by it, one ending on its last byte
%elifidn CASE, run_off_end               ; killed SIGSEGV
  jmp end_of_code
%elifidn CASE, cut_at_end                ; killed SIGSEGV
  jmp end_of_code + 1
%elifidn CASE, complete_at_end           ; exited 0
  mov rsp, r12
  xor edi, edi
  mov eax, 60
  jmp end_of_code
%else
  %error unknown CASE
%endif
case_end
