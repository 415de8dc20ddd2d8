; Brian Raiter's 72-byte fgconsole (ELFkickers 0.x to 2.0a, tiny/fgconsole): prints the number of
; the foreground virtual console (ioctl TIOCLINUX, subcode 12). golf's own reading of the
; published binary's bytes. e_phentsize is 0x0a0c (an immediate): kernels from 2.2.17 on refuse
; it (ENOEXEC), as the author's README says.
BITS 32
org 0x68000000
        db      0x7f, "ELF"
        dd      1, 0                    ; p_type PT_LOAD, p_offset
        dd      0x68000000              ; p_vaddr
        dw      2, 3                    ; e_type ET_EXEC, e_machine i386
entry:                                  ; 0x68000014
        mov     edx, esp                ; e_version (= p_filesz, with the next two bytes)
        db      0x05                    ; add eax, 0x1400: e_entry 0x68000014 in its bytes
        dd      0x1400
        db      0x68                    ; push dword 4 (write); the immediate is e_phoff 4
        dd      4
        xor     ebx, ebx                ; fd 0
        lea     eax, [ebx + 54]         ; ioctl
        lea     ecx, [ebx + 0x1c]
        db      0xc7, 0x02              ; mov dword [edx], 0x00010a0c: subcode 12, then "\n";
        dd      0x00010a0c              ;   e_phentsize 0x0a0c and e_phnum 1 are its immediate
        mov     ch, 0x54                ; ecx = 0x541c: TIOCLINUX
        int     0x80
        inc     ebx                     ; fd 1
        or      al, al
        js      quit
        add     al, '1'                 ; the console number as a digit
        mov     [edx], al
        mov     ecx, edx
        mov     edx, ebx
        inc     edx                     ; 2 bytes: digit and newline
        pop     eax                     ; 4: write
        int     0x80
        sub     eax, edx                ; 0 if both bytes were written
quit:
        xchg    eax, ebx                ; exit(that)
        int     0x80
