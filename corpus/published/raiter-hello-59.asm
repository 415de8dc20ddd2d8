; Brian Raiter's 59-byte "hello, world" (ELFkickers 0.x to 2.0a, tiny/hello). golf's own reading
; of the published binary's bytes. e_phentsize is 0xfaeb (the jmp): kernels from 2.2.17 on refuse
; it (ENOEXEC), as the author's README says; his hello-2.2.17.asm is the later variant.
BITS 32
org 0x68504000
        db      0x7f, "ELF"
        dd      1, 0                    ; p_type PT_LOAD, p_offset
        db      0
entry0:
        inc     eax                     ; p_vaddr's top three bytes: code that does nothing useful
        push    eax
        push    dword 0x00030002        ; e_type, e_machine in the immediate
        xor     eax, eax
        lea     edx, [eax + 13]         ; 13 bytes
        inc     eax
        push    eax                     ; 1: exit
        db      0x68                    ; push dword 4 (4: write); the immediate is e_phoff 4
        dd      4
        mov     ecx, msg
        xchg    eax, ebx                ; fd 1
done:
        pop     eax
        int     0x80
        dec     ebx                     ; exit status 0
        jmp     short done              ; e_phentsize 0xfaeb
        dw      1                       ; e_phnum
msg:    db      "hello, world", 10
