; Brian Raiter's 58-byte keepalive (ELFkickers 1.0 to 2.0a, tiny/keepalive): writes a bell
; character, sleeps 326 seconds, forever. golf's own reading of the published binary's bytes.
; e_phentsize is 0xeb80 (code): kernels from 2.2.17 on refuse it (ENOEXEC), as the author's
; README says.
BITS 32
org 0x68070000
        db      0x7f, "ELF"
        dd      1, 0                    ; p_type PT_LOAD, p_offset
        dw      0                       ; p_vaddr 0x68070000 ...
bell:   db      7, 0x68                 ; ... whose byte 0x07 is the bell the program writes
        dw      2, 3                    ; e_type ET_EXEC, e_machine i386
entry:                                  ; 0x68070014
        xor     edx, edx                ; e_version (= p_filesz 0x001405d2 with the next two bytes)
        db      0x05                    ; add eax, 0x07001400: e_entry 0x68070014 in its bytes
        dd      0x07001400
        db      0x68                    ; push dword 4: the immediate is e_phoff 4
        dd      4
        inc     edx                     ; edx = 1: one byte
        mov     ecx, bell
        mov     ebx, edx                ; fd 1
        pop     eax                     ; 4: write
        int     0x80
        jmp     short sleep             ; e_phentsize 0xeb80 lies in int 0x80 / jmp
        db      0                       ; with the jump's 01: e_phnum 1
sleep:
        xchg    eax, ecx
        xchg    eax, ebx                ; ebx = the bell's address
        mov     al, 162                 ; nanosleep(0x68070003, NULL): the timespec is header
        mov     bl, 3                   ; bytes 3..10, {0x146 = 326 s, 0 ns}
        xor     ecx, ecx
        int     0x80
        jmp     short entry
